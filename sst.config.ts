/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "classroom",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      // random: the API's cursor-signing secret is generated per stage (infra/api.ts).
      providers: { aws: "7.20.0", random: "4.16.6" },
    };
  },
  async run() {
    // The `sst` and `$` globals exist only once run() is called, so infra modules load here.
    const storage = await import("./infra/storage.ts");
    const auth = await import("./infra/auth.ts");
    const files = await import("./infra/files.ts");
    const api = await import("./infra/api.ts");
    await import("./infra/events.ts");
    await import("./infra/stream.ts");
    await import("./infra/jobs.ts");
    const web = await import("./infra/web.ts");
    await import("./infra/monitoring.ts");

    return {
      api: api.apiUrl,
      web: web.web.url,
      table: storage.table.name,
      filesBucket: files.files.name,
      userPoolId: auth.userPool.id,
      userPoolClientId: auth.userPoolClient.id,
      issuer: auth.issuer,
    };
  },
});
