CREATE TABLE "erp_schedule_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" varchar(64) NOT NULL,
	"site_id" varchar(64) NOT NULL,
	"source" varchar(200) NOT NULL,
	"version" integer NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"orders_count" integer NOT NULL,
	"request" jsonb NOT NULL,
	"run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "erp_schedule_versions_site_version" ON "erp_schedule_versions" USING btree ("tenant_id","site_id","source","version");