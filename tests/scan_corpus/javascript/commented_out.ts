// import OpenAI from "openai";
/*
 * import Anthropic from "@anthropic-ai/sdk";
 * const client = new Anthropic();
 */
export const greeting = "hello";
