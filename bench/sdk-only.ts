/**
 * The cold-init baseline of the bundle bench: a handler whose bundle holds only the DynamoDB
 * client, built with the same options as every function. Each function's init is read against it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => client.config.serviceId;
