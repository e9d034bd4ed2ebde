// The multilingual country-set metric of ../shared/data/tagging/multilingual/README.md: per
// document, the predicted set of ISO codes against the gold `countries`; strict micro P/R/F1,
// macro P/R/F1, exact share, and lenient precision (a predicted code is also right when it is the
// country of any gold location).

export interface GoldDoc {
  id: string;
  countries: string[];
  locations: Array<{ text: string; iso2: string | null }>;
}

export interface CountrySetScore {
  docs: number;
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  exact: number;
  lenientPrecision: number;
}

export function scoreCountrySets(gold: GoldDoc[], predicted: Map<string, string[]>): CountrySetScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let lenientTp = 0;
  let exact = 0;
  const macroF1: number[] = [];
  for (const doc of gold) {
    const pred = new Set(predicted.get(doc.id) ?? []);
    const want = new Set(doc.countries);
    const located = new Set(doc.locations.map((l) => l.iso2).filter((c): c is string => c !== null));
    let docTp = 0;
    for (const c of pred) {
      if (want.has(c)) docTp++;
      if (want.has(c) || located.has(c)) lenientTp++;
    }
    tp += docTp;
    fp += pred.size - docTp;
    fn += want.size - docTp;
    if (pred.size === want.size && docTp === want.size) exact++;
    if (pred.size + want.size > 0) macroF1.push((2 * docTp) / (pred.size + want.size));
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    docs: gold.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    macroF1: macroF1.length > 0 ? macroF1.reduce((a, b) => a + b, 0) / macroF1.length : 0,
    exact: gold.length > 0 ? exact / gold.length : 0,
    lenientPrecision: tp + fp > 0 ? lenientTp / (tp + fp) : 0,
  };
}
