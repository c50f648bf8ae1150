ALTER TABLE "energy_tariffs" ADD COLUMN "definition" jsonb;--> statement-breakpoint
ALTER TABLE "tariff_periods" ADD COLUMN "season" varchar(40);