package tmpl

const snippet = `
import "github.com/sashabaranov/go-openai"
`

func Snippet() string { return snippet }
