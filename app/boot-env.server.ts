import { getEnv } from "~/env.server";

// Imported first by entry.server.tsx, before anything that touches Shopify or the database:
// a bad setting ends the process here with one line, before a library can throw about it.
getEnv();
