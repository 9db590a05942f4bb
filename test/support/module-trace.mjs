// A preload (`node --import <this file>`) that appends the URL of every ES module the process loads to the file
// ENTRA_TRAY_TEST_MODULE_LOG, so a test can tell which path a command took (e.g. that it loaded no MSAL).
import { register } from "node:module";

register(new URL("./module-trace-hooks.mjs", import.meta.url), { data: process.env.ENTRA_TRAY_TEST_MODULE_LOG });
