// Management commands from a function or a class, with typed options.
import { configure, command, BaseCommand } from 'manouche';
import type { CommandParser } from 'manouche';

configure({ DEBUG: true });

command('print-hello', (cmd) => cmd.stdout.write('Hello, Node!\n'), { help: 'Says hello' });

command('greet', (cmd, options: { name: string }) => cmd.stdout.write(`Hello, ${options.name}!\n`), {
  help: 'Greets someone',
  addArguments: (parser) => { parser.option('--name <name>', 'who to greet', 'Node'); },
});

// @ts-expect-error options are not any: declare their type
command('untyped', (cmd, options) => cmd.stdout.write(options.name.toUpperCase()));

command(class PrintHelloCommand extends BaseCommand {
  static override help = 'Says hello';
  override addArguments(parser: CommandParser) { parser.option('--name <name>', 'who to greet', 'Node'); }
  override handle(options: { name: string }) { this.stdout.write(`Hello, ${options.name}!\n`); }
});
