#!/usr/bin/env node
// Remembers `count` active accounts, one per profile `<prefix>-<n>`, as parallel entra-tray processes would
// (from the build in dist/). Usage: active-accounts-writer.mjs <app home> <prefix> <count>
import { ActiveAccounts } from "../../../../dist/core/cache/active-accounts.js";

const [home, prefix, count] = process.argv.slice(2);
const accounts = ActiveAccounts.in(home);
for (let n = 0; n < Number(count); n += 1) await accounts.set(`${prefix}-${n}`, `${prefix}-account-${n}`);
