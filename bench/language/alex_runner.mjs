// Runs the `alex` npm package over the benchmark corpus.
// Usage: node alex_runner.mjs ALEX_PACKAGE_DIR [REPEAT] < items.json > results.json
// items.json: [{"text": "...", "format": "text|markdown|html|po"}, ...]
// Prints {"seconds": <seconds per pass after one warm-up pass>, "results": [[message, ...], ...]}.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

const alexDir = process.argv[2]
const alex = await import(pathToFileURL(join(alexDir, 'index.js')).href)
const items = JSON.parse(readFileSync(0, 'utf8'))
const repeat = Number(process.argv[3] || 1)

function run(item) {
  if (item.format === 'markdown') return alex.markdown(item.text)
  if (item.format === 'html') return alex.html(item.text)
  return alex.text(item.text)
}

// one unmeasured pass to warm up the JIT and load the word lists
let results = items.map((item) => run(item).messages)
const start = performance.now()
for (let r = 0; r < repeat; r++) {
  results = items.map((item) =>
    run(item).messages.map((m) => ({
      ruleId: m.ruleId,
      source: m.source,
      actual: m.actual,
      reason: m.reason,
      line: m.line,
      column: m.column
    }))
  )
}
const seconds = (performance.now() - start) / 1000 / repeat
process.stdout.write(JSON.stringify({ seconds, results }))
