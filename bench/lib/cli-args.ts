// Tiny flag parser for benchmark scripts: --name value and --flag.
export function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(a.slice(2), next);
      i++;
    } else args.set(a.slice(2), 'true');
  }
  return args;
}

export function requireDir(args: Map<string, string>, name: string, hint: string): string {
  const value = args.get(name);
  if (!value) {
    console.error(`usage: ${hint}`);
    process.exit(2);
  }
  return value;
}
