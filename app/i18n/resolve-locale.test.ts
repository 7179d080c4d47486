import { describe, expect, it } from "vitest";
import { resolveLocale } from "./resolve-locale";

const url = (query = "") => new URL(`https://app.example/app${query}`);

describe("resolveLocale(url, acceptLanguage)", () => {
  it("follows the admin user's locale parameter first", () => {
    expect(resolveLocale(url("?locale=nl"), "da")).toBe("nl");
    expect(resolveLocale(url("?locale=da-DK"), "nl")).toBe("da");
    expect(resolveLocale(url("?locale=NL_be"), null)).toBe("nl");
  });

  it("falls back to Accept-Language by quality when the admin's language is unsupported or absent", () => {
    expect(resolveLocale(url("?locale=fr"), "fr-FR,da;q=0.8,nl;q=0.9")).toBe("nl");
    expect(resolveLocale(url(), "de;q=1, da;q=0.5")).toBe("da");
    expect(resolveLocale(url(), "nl;q=0, en;q=0.1")).toBe("en");
  });

  it("uses English when nothing matches", () => {
    expect(resolveLocale(url(), null)).toBe("en");
    expect(resolveLocale(url("?locale=ja"), "ja,zh;q=0.5")).toBe("en");
    expect(resolveLocale(url(), "*")).toBe("en");
  });
});
