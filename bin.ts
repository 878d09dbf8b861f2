#!/usr/bin/env node
// `npx manouche <command>`: commands that need no app file (startapp, help).
import './core/conf/node-version';
import { executeStandalone } from './core/management/cli';

executeStandalone(process.argv.slice(2)).then((code) => { process.exitCode = code; });
