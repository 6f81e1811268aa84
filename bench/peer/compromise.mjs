// Tags a corpus with npm compromise (people, organizations, places), the same way bench_tag
// tags it with wiretag: again and again for SECONDS, several runs, median MB/s.
//   node compromise.mjs CORPUS.jsonl [SECONDS] [RUNS]
import fs from 'node:fs';
import nlp from 'compromise';

const [file, seconds = '2', runs = '3'] = process.argv.slice(2);
const docs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
const bytes = docs.reduce((n, t) => n + Buffer.byteLength(t), 0);
const results = [];
for (let r = 0; r < Number(runs); r++) {
  const t0 = process.hrtime.bigint();
  let done = 0, words = 0, found = 0;
  for (;;) {
    for (const text of docs) {
      const doc = nlp(text);
      found += doc.people().length + doc.organizations().length + doc.places().length;
      words += doc.terms().length;
      done++;
    }
    if (Number(process.hrtime.bigint() - t0) / 1e9 >= Number(seconds)) break;
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  results.push({ mbps: (bytes * (done / docs.length)) / 1e6 / s, words: words / s, docs: done / s, found });
}
results.sort((a, b) => a.mbps - b.mbps);
const mid = results[Math.floor(results.length / 2)];
console.log(JSON.stringify({ mb_per_s: mid.mbps, words_per_s: mid.words, docs_per_s: mid.docs,
  min: results[0].mbps, max: results[results.length - 1].mbps }));
