package chat

import (
	"context"
	"os"

	openai "github.com/sashabaranov/go-openai"
)

func Ask(ctx context.Context, q string) (string, error) {
	client := openai.NewClient(os.Getenv("OPENAI_API_KEY"))
	resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    openai.GPT4o,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: q}},
	})
	if err != nil {
		return "", err
	}
	return resp.Choices[0].Message.Content, nil
}
