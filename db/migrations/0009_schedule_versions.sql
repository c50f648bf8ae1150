CREATE TABLE "schedule_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"schedule_date" date NOT NULL,
	"seq" integer NOT NULL,
	"version" integer NOT NULL,
	"action" varchar(10) NOT NULL,
	"restores" uuid,
	"actor" varchar(200) NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_locks" (
	"lock_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"schedule_date" date NOT NULL,
	"kind" varchar(10) NOT NULL,
	"job_id" varchar(64),
	"equipment_id" varchar(50) NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"end" timestamp with time zone,
	"reason" text,
	"created_by" varchar(200) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"schedule_date" date NOT NULL,
	"version" integer NOT NULL,
	"run_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schedule_versions" ADD CONSTRAINT "schedule_versions_run_id_optimization_runs_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."optimization_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_applications_site_date_seq" ON "schedule_applications" USING btree ("tenant_id","site_id","schedule_date","seq");--> statement-breakpoint
CREATE INDEX "schedule_locks_site_date" ON "schedule_locks" USING btree ("tenant_id","site_id","schedule_date");--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_versions_site_date_version" ON "schedule_versions" USING btree ("tenant_id","site_id","schedule_date","version");--> statement-breakpoint
CREATE UNIQUE INDEX "schedule_versions_run" ON "schedule_versions" USING btree ("run_id");