package gen

import (
	"context"

	"google.golang.org/genai"
)

func Generate(ctx context.Context) {
	client, _ := genai.NewClient(ctx, &genai.ClientConfig{Backend: genai.BackendGeminiAPI})
	client.Models.GenerateContent(ctx, "gemini-2.0-flash", genai.Text("hi"), nil)
}
