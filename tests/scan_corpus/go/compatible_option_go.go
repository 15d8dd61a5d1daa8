package gw

import (
	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

func New() openai.Client {
	return openai.NewClient(option.WithBaseURL("http://gateway.internal/v1"))
}
