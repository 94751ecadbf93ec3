/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "classroom",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
    };
  },
  async run() {
    // The `sst` and `$` globals exist only once run() is called, so infra modules load here.
    const storage = await import("./infra/storage.ts");
    const auth = await import("./infra/auth.ts");

    return {
      table: storage.table.name,
      userPoolId: auth.userPool.id,
      userPoolClientId: auth.userPoolClient.id,
      issuer: auth.issuer,
    };
  },
});
