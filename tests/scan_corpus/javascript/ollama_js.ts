import ollama from "ollama";

const response = await ollama.chat({ model: "qwen2.5:7b", messages: [{ role: "user", content: "Hi" }] });
