module example.com/openai-gateway

go 1.22

// require github.com/sashabaranov/go-openai v1.32.0
require golang.org/x/sync v0.8.0
