import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";

const client = new BedrockRuntimeClient({ region: "us-east-1" });
const command = new ConverseCommand({ modelId: "anthropic.claude-3-haiku-20240307-v1:0", messages: [] });
