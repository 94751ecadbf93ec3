import { apiUrl } from "./api.ts";
import { userPoolClient } from "./auth.ts";
import { allowWebOrigin } from "./files.ts";

/**
 * The web app: Vite builds apps/web with the API and Cognito settings baked in, and SST
 * uploads `dist` to S3 behind CloudFront. The browser signs in against Cognito's regional
 * endpoint directly (InitiateAuth), so it needs the endpoint and client id, never a secret.
 */
export const web = new sst.aws.StaticSite("Web", {
  path: "apps/web",
  build: { command: "pnpm run build", output: "dist" },
  dev: { command: "pnpm run dev" },
  // SST writes a typed ImportMetaEnv for these variables; apps/web declares its own (optional,
  // as they are locally), and two declarations would clash. Keep SST's copy out of src and git.
  vite: { types: "node_modules/.sst/sst-env.d.ts" },
  environment: {
    VITE_API_URL: apiUrl,
    VITE_COGNITO_ENDPOINT: $interpolate`https://cognito-idp.${aws.getRegionOutput().region}.amazonaws.com/`,
    VITE_COGNITO_CLIENT_ID: userPoolClient.id,
  },
});

// Uploads go from the web app straight to the files bucket.
allowWebOrigin(web.url);
