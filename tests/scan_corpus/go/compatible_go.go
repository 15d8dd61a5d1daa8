package local

import openai "github.com/sashabaranov/go-openai"

func NewLocal() *openai.Client {
	config := openai.DefaultConfig("unused")
	config.BaseURL = "http://localhost:11434/v1"
	return openai.NewClientWithConfig(config)
}
