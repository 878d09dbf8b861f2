// STUB (owned by the CLI helper): parses argv and runs a command; returns the exit code.
export async function execute(_argv: string[]): Promise<number> { return 0; }
export async function executeStandalone(_argv: string[]): Promise<number> { return 0; }
