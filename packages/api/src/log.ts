/** Structured logs (Powertools: JSON on Lambda, with the request context). */
import { Logger } from "@aws-lambda-powertools/logger";

export const logger = new Logger({
  serviceName: "classroom-api",
  logLevel: (process.env.LOG_LEVEL as "INFO" | "DEBUG" | "WARN" | "ERROR" | "SILENT" | undefined) ?? "INFO",
});
