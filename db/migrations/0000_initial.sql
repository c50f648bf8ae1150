CREATE TABLE "artefacts" (
	"artefact_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"kind" varchar(40) NOT NULL,
	"content_type" varchar(100) NOT NULL,
	"content" "bytea" NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "energy_tariffs" (
	"tariff_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"tariff_name" varchar(100) NOT NULL,
	"effective_date" date NOT NULL,
	"expiry_date" date,
	"utility_provider" varchar(100),
	"rate_schedule_code" varchar(50),
	"time_zone" varchar(64) NOT NULL,
	"currency" varchar(3) NOT NULL,
	"fixed_charges" jsonb NOT NULL,
	"fuel_prices" jsonb NOT NULL,
	"holidays" jsonb NOT NULL,
	"provenance_hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "equipment_availability" (
	"availability_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"equipment_row_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"unavailable_start" timestamp with time zone NOT NULL,
	"unavailable_end" timestamp with time zone NOT NULL,
	"reason" varchar(50) NOT NULL,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "heating_equipment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"equipment_id" varchar(50) NOT NULL,
	"equipment_name" varchar(200) NOT NULL,
	"equipment_type" varchar(50) NOT NULL,
	"capacity_kw" numeric(12, 3) NOT NULL,
	"min_load_kw" numeric(12, 3) NOT NULL,
	"efficiency" numeric(8, 4) NOT NULL,
	"fuel_type" varchar(30) NOT NULL,
	"fuel_rate_per_kwh" numeric(10, 5),
	"min_run_time_minutes" integer NOT NULL,
	"max_starts_per_day" integer,
	"startup_energy_kwh" numeric(10, 4) NOT NULL,
	"location" varchar(100),
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"notification_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"recipient" varchar(320) NOT NULL,
	"status" varchar(20) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"provider_message_id" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "optimization_runs" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64),
	"schedule_id" uuid,
	"status" varchar(20) DEFAULT 'PENDING' NOT NULL,
	"error_code" varchar(10),
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"solver_type" varchar(30),
	"solver_status" varchar(20),
	"solver_time_seconds" numeric(10, 3),
	"objective_value" numeric(14, 4),
	"mip_gap" double precision,
	"jobs_count" integer,
	"assignments_count" integer,
	"constraints_violated" integer DEFAULT 0 NOT NULL,
	"peak_kw" numeric(12, 3),
	"baseline_cost" numeric(14, 4),
	"optimized_cost" numeric(14, 4),
	"savings" numeric(14, 4),
	"savings_percent" numeric(7, 2),
	"input_hash" varchar(64),
	"output_hash" varchar(64)
);
--> statement-breakpoint
CREATE TABLE "optimized_assignments" (
	"assignment_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"schedule_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"plan" varchar(10) NOT NULL,
	"equipment_id" varchar(50) NOT NULL,
	"scheduled_start" timestamp with time zone NOT NULL,
	"scheduled_end" timestamp with time zone NOT NULL,
	"thermal_kw" numeric(12, 3) NOT NULL,
	"power_kw" numeric(12, 3) NOT NULL,
	"electric_kw" numeric(12, 3) NOT NULL,
	"energy_cost" numeric(14, 4) NOT NULL,
	"tariff_period" varchar(20),
	"provenance_hash" varchar(64) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "production_jobs" (
	"job_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"job_ref" varchar(64) NOT NULL,
	"product_id" varchar(200) NOT NULL,
	"quantity" numeric(12, 2) NOT NULL,
	"unit" varchar(20) NOT NULL,
	"heating_requirement_kwh" numeric(12, 4) NOT NULL,
	"max_thermal_kw" numeric(12, 3),
	"duration_minutes" integer,
	"temperature_setpoint_c" numeric(6, 2),
	"earliest_start" timestamp with time zone NOT NULL,
	"latest_end" timestamp with time zone NOT NULL,
	"priority" integer NOT NULL,
	"allowed_equipment" jsonb
);
--> statement-breakpoint
CREATE TABLE "production_schedules" (
	"schedule_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"run_id" uuid NOT NULL,
	"schedule_date" date NOT NULL,
	"time_zone" varchar(64) NOT NULL,
	"horizon_days" integer NOT NULL,
	"source_system" varchar(50),
	"source_reference" varchar(100),
	"provenance_hash" varchar(64) NOT NULL,
	"status" varchar(20) DEFAULT 'DRAFT' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_inputs" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"format" varchar(20) NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"step" varchar(20) NOT NULL,
	"seq" integer NOT NULL,
	"parents" jsonb NOT NULL,
	"output_json" text NOT NULL,
	"hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_periods" (
	"period_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tariff_id" uuid NOT NULL,
	"day_type" varchar(20) NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"energy_rate_kwh" numeric(10, 5) NOT NULL,
	"demand_rate_kw" numeric(10, 4) NOT NULL,
	"period_category" varchar(20) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "artefacts" ADD CONSTRAINT "artefacts_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_availability" ADD CONSTRAINT "equipment_availability_equipment_row_id_heating_equipment_id_fk" FOREIGN KEY ("equipment_row_id") REFERENCES "public"."heating_equipment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimized_assignments" ADD CONSTRAINT "optimized_assignments_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimized_assignments" ADD CONSTRAINT "optimized_assignments_schedule_id_production_schedules_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."production_schedules"("schedule_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimized_assignments" ADD CONSTRAINT "optimized_assignments_job_id_production_jobs_job_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."production_jobs"("job_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_jobs" ADD CONSTRAINT "production_jobs_schedule_id_production_schedules_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."production_schedules"("schedule_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_schedules" ADD CONSTRAINT "production_schedules_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_inputs" ADD CONSTRAINT "run_inputs_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_periods" ADD CONSTRAINT "tariff_periods_tariff_id_energy_tariffs_tariff_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."energy_tariffs"("tariff_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "artefacts_run_kind" ON "artefacts" USING btree ("run_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "energy_tariffs_identity" ON "energy_tariffs" USING btree ("tenant_id","site_id","tariff_name","effective_date");--> statement-breakpoint
CREATE INDEX "energy_tariffs_tenant_effective" ON "energy_tariffs" USING btree ("tenant_id","effective_date");--> statement-breakpoint
CREATE INDEX "equipment_availability_lookup" ON "equipment_availability" USING btree ("equipment_row_id","unavailable_start");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_availability_window" ON "equipment_availability" USING btree ("equipment_row_id","unavailable_start","unavailable_end","reason");--> statement-breakpoint
CREATE UNIQUE INDEX "heating_equipment_identity" ON "heating_equipment" USING btree ("tenant_id","site_id","equipment_id");--> statement-breakpoint
CREATE INDEX "heating_equipment_tenant_type" ON "heating_equipment" USING btree ("tenant_id","equipment_type","is_active");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_run_channel_recipient" ON "notifications" USING btree ("run_id","channel","recipient");--> statement-breakpoint
CREATE INDEX "optimization_runs_tenant_started" ON "optimization_runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "optimized_assignments_run_plan_job" ON "optimized_assignments" USING btree ("run_id","plan","job_id");--> statement-breakpoint
CREATE INDEX "optimized_assignments_schedule_start" ON "optimized_assignments" USING btree ("schedule_id","scheduled_start");--> statement-breakpoint
CREATE UNIQUE INDEX "production_jobs_schedule_ref" ON "production_jobs" USING btree ("schedule_id","job_ref");--> statement-breakpoint
CREATE INDEX "production_jobs_schedule_priority" ON "production_jobs" USING btree ("schedule_id","priority");--> statement-breakpoint
CREATE INDEX "production_schedules_tenant_date" ON "production_schedules" USING btree ("tenant_id","schedule_date");--> statement-breakpoint
CREATE UNIQUE INDEX "production_schedules_run" ON "production_schedules" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "run_steps_run_step" ON "run_steps" USING btree ("run_id","step");--> statement-breakpoint
CREATE INDEX "tariff_periods_lookup" ON "tariff_periods" USING btree ("tariff_id","day_type","start_time");