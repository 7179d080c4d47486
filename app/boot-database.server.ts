import { exitWithConfigurationError } from "~/env.server";
import { checkDatabaseConnection } from "~/services/health.server";

// Evaluated when the server build is imported (remix-serve imports it before listening), so an
// unreachable or unmigrated database stops the start with one line instead of failing the
// first merchant's request.
const database = await checkDatabaseConnection();
if (!database.ok) exitWithConfigurationError(`Configuration error: ${database.message}`);
