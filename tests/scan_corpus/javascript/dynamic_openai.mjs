export async function client() {
  const { default: OpenAI } = await import('openai');
  return new OpenAI();
}
