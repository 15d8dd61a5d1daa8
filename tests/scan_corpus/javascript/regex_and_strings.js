const looksLikeImport = /import .* from "openai"/;
const doc = 'Use "require(\'openai\')" in your own code';
const ratio = total / count / 2;
export function check(line) {
  return looksLikeImport.test(line) && ratio > 1;
}
