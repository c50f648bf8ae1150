ALTER TABLE "run_inputs" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "run_inputs" ADD COLUMN "raw" "bytea";--> statement-breakpoint
ALTER TABLE "run_inputs" ADD COLUMN "sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "run_inputs" ADD COLUMN "file_name" varchar(255);