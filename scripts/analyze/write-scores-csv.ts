import { createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { once } from "node:events";
import { type CustomerScoreTable, SCORE_COLUMNS } from "../../app/analytics/scores/customer-score-rows";
import { lifecycleReasonMessage } from "../../app/customers/activity-reason";
import { createTranslator } from "../../app/i18n/translate";

const english = createTranslator("en");

function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6)) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes one CSV row per customer to a temporary file next to `path`, then renames it into
 * place, so a reader never sees a half-written file and a failed run leaves nothing behind.
 */
export async function writeScoresCsv(path: string, scores: CustomerScoreTable): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const stream = createWriteStream(temporary);
  try {
    stream.write(SCORE_COLUMNS.join(",") + "\n");
    for (let i = 0; i < scores.length; i++) {
      const row = scores.row(i);
      // The reason is data in the analysis; the CLI writes it in English (the app's wording).
      const reason = lifecycleReasonMessage(row.reason);
      const cells = SCORE_COLUMNS.map((c) => csvField(c === "reason" ? english(reason.key, reason.values) : row[c]));
      if (!stream.write(cells.join(",") + "\n")) await once(stream, "drain");
    }
    stream.end();
    await once(stream, "finish");
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
