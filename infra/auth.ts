/**
 * Users sign in with email and password through InitiateAuth USER_PASSWORD_AUTH (no hosted
 * UI) and renew their session with the refresh token. The API verifies access tokens against
 * `issuer` and the client id; `jwt` is in the shape ApiGatewayV2's JWT authorizer takes.
 */
export const userPool = new sst.aws.CognitoUserPool("UserPool", {
  usernames: ["email"],
});

export const userPoolClient = userPool.addClient("Web", {
  transform: {
    client: {
      explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      // A browser client cannot keep a secret.
      generateSecret: false,
      preventUserExistenceErrors: "ENABLED",
    },
  },
});

export const issuer = $interpolate`https://cognito-idp.${aws.getRegionOutput().region}.amazonaws.com/${userPool.id}`;

export const jwt = {
  issuer,
  audiences: [userPoolClient.id],
} satisfies sst.aws.ApiGatewayV2AuthorizerArgs["jwt"];
