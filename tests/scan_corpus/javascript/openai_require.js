const OpenAI = require("openai");

const client = new OpenAI();
module.exports = async function complete(prompt) {
  const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
  return r.choices[0].message.content;
};
