export async function load() {
  const { Mistral } = await import("@mistralai/mistralai");
  return new Mistral({ apiKey: process.env.MISTRAL_API_KEY });
}
