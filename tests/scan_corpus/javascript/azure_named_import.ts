import { AzureOpenAI } from "openai";

const client = new AzureOpenAI({ endpoint: "https://contoso.openai.azure.com", apiVersion: "2024-10-21", deployment: "gpt-4o" });
