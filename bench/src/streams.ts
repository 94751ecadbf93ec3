/**
 * The stream Lambda's side of the stack for the bench, in a process of its own (as on AWS, where
 * it is a Lambda of its own): the stream poller at its default interval, the local event bus and
 * the notifier. It starts at the stream's newest record, so earlier scenarios' writes are not
 * replayed into the measurement. Reads the stack's environment, prints one line once it is
 * running, then serves until SIGTERM.
 */
import { startStreamWorker } from "@classroom/local";
import { ENDPOINT_ENV, TABLE_ENV } from "@classroom/core/table";

const dynamoEndpoint = process.env[ENDPOINT_ENV];
const tableName = process.env[TABLE_ENV];
if (!dynamoEndpoint || !tableName) throw new Error(`${ENDPOINT_ENV} and ${TABLE_ENV} must be set`);

const { streams, bus } = await startStreamWorker({ dynamoEndpoint, tableName, from: "now" });
// Ready once the earlier records are skipped and a pass found nothing new: a write made after
// this line is handled, never skipped with the backlog.
await streams.drain();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void streams
    .stop()
    .then(() => bus.stop())
    .then(() => process.exit(0));
});
