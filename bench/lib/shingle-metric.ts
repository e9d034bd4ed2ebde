// The scrapinghub article-extraction-benchmark body metric, re-implemented from its definition:
// tokens are Unicode word characters, 4-token shingles counted as multisets; per page
// precision = tp/(tp+fp), recall = tp/(tp+fn) (both 1 when fp = fn = 0); corpus precision is the
// mean over pages with tp+fp > 0, corpus recall the mean over all pages, F1 = 2PR/(P+R).

const TOKEN = /[\p{L}\p{N}_]+/gu;

export function shingles(text: string, n = 4): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const counts = new Map<string, number>();
  if (tokens.length === 0) return counts;
  const add = (s: string) => counts.set(s, (counts.get(s) ?? 0) + 1);
  if (tokens.length < n) add(tokens.join(' '));
  for (let i = 0; i + n <= tokens.length; i++) add(tokens.slice(i, i + n).join(' '));
  return counts;
}

export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
}

export function scorePage(predicted: string, expected: string): PageScore {
  const p = shingles(predicted);
  const e = shingles(expected);
  let tp = 0;
  let predictedTotal = 0;
  for (const [s, c] of p) {
    predictedTotal += c;
    tp += Math.min(c, e.get(s) ?? 0);
  }
  let expectedTotal = 0;
  for (const c of e.values()) expectedTotal += c;
  return { tp, fp: predictedTotal - tp, fn: expectedTotal - tp };
}

export interface CorpusScore {
  precision: number;
  recall: number;
  f1: number;
  pages: number;
}

export function corpusScore(pages: PageScore[]): CorpusScore {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (const { tp, fp, fn } of pages) {
    if (fp === 0 && fn === 0) {
      precisions.push(1);
      recalls.push(1);
      continue;
    }
    if (tp + fp > 0) precisions.push(tp / (tp + fp));
    recalls.push(tp + fn > 0 ? tp / (tp + fn) : 1);
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const precision = mean(precisions);
  const recall = mean(recalls);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), pages: pages.length };
}
