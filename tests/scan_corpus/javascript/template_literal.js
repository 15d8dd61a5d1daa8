const base = `https://api.anthropic.com/v1/messages`;
export const call = (body) => fetch(base, { method: "POST", headers: { "x-api-key": process.env.ANTHROPIC_API_KEY }, body });
