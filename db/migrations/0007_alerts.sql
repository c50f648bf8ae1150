CREATE TABLE "alert_deliveries" (
	"delivery_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"user_id" varchar(200) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"recipient" varchar(2000) NOT NULL,
	"event" varchar(20) NOT NULL,
	"status" varchar(20) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"provider_message_id" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"alert_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"rule" varchar(40) NOT NULL,
	"subject" varchar(200) NOT NULL,
	"severity" varchar(10) NOT NULL,
	"run_id" uuid,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"facts" jsonb NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" varchar(200),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_subscribers" (
	"tenant_id" varchar(64) NOT NULL,
	"user_id" varchar(200) NOT NULL,
	"preferences" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_subscribers_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_alerts_alert_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("alert_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_deliveries_key" ON "alert_deliveries" USING btree ("alert_id","channel","recipient","event");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_tenant_rule_subject" ON "alerts" USING btree ("tenant_id","rule","subject");