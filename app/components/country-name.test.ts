import { describe, expect, it } from "vitest";
import { countryNamer } from "./country-name";

describe("countryNamer", () => {
  it("names a country code in the admin's language", () => {
    expect(countryNamer("nl", "onbekend")("DE")).toBe("Duitsland");
    expect(countryNamer("da", "ukendt")("DE")).toBe("Tyskland");
    expect(countryNamer("en", "unknown")("NL")).toBe("Netherlands");
  });

  it("passes a stored name through and names the unknown bucket", () => {
    expect(countryNamer("nl", "onbekend")("Germany")).toBe("Germany");
    expect(countryNamer("nl", "onbekend")("unknown")).toBe("onbekend");
  });
});
