/** The cold-start baseline: a Lambda handler that only loads the DynamoDB client and does one GetItem. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const endpoint = process.env.DYNAMODB_ENDPOINT;
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient(endpoint ? { endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
);

export async function handler(): Promise<{ statusCode: number; body: string }> {
  const result = await client.send(new GetCommand({ TableName: process.env.CLASSROOM_TABLE, Key: { pk: "cold", sk: "start" } }));
  return { statusCode: 200, body: JSON.stringify(result.Item ?? null) };
}
