package local

import "github.com/ollama/ollama/api"

var Request = &api.ChatRequest{Model: "llama3.2:3b"}
