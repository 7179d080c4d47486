/**
 * The segment builder's rule editor (Polaris): all/any groups of conditions, nested; each
 * condition a field, a comparison that fits it and a value control typed by the field. Errors
 * arrive by path (rule-tree.ts) and show beside the control they belong to.
 */
import { useFetcher } from "@remix-run/react";
import { Autocomplete, BlockStack, Box, Button, Card, Checkbox, InlineGrid, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { FIELD_KEYS, FIELDS, operatorsOf, type FieldKey, type Operator } from "~/segments/field-catalogue";
import type { RuleCondition, RuleGroup, RuleNode } from "~/segments/rule-tree";
import type { PickerField, PurchaseValueField } from "~/segments/value-options.server";
import type { SegmentValueOptions } from "~/services/segments.server";

export type RuleErrorMap = Record<string, TranslationKey>;

interface BuilderProps {
  rule: RuleGroup;
  onChange: (rule: RuleGroup) => void;
  errors: RuleErrorMap;
  readOnly?: boolean;
}

/** A condition with a sensible first value for the field and operator. */
export function newCondition(field: FieldKey, operator: Operator = operatorsOf(field)[0], today = new Date()): RuleCondition {
  const definition = FIELDS[field];
  switch (definition.type) {
    case "number":
      return { type: "condition", field, operator, value: "min" in definition && definition.min !== undefined ? definition.min : 0 };
    case "enum":
      return { type: "condition", field, operator, value: [(definition.values as readonly string[])[0]] };
    case "text":
      return { type: "condition", field, operator, value: [] };
    case "date":
      return { type: "condition", field, operator, value: operator === "before" || operator === "after" ? today.toISOString().slice(0, 10) : 30 };
    case "tag":
      return { type: "condition", field, operator, value: "" };
    case "purchase":
      return { type: "condition", field, operator, value: [], withinDays: null };
  }
}

function join(path: string, part: string): string {
  return path ? `${path}.${part}` : part;
}

export function SegmentRuleBuilder({ rule, onChange, errors, readOnly }: BuilderProps) {
  return <GroupEditor group={rule} path="" depth={1} onChange={(g) => onChange(g)} errors={errors} readOnly={readOnly} />;
}

function GroupEditor({ group, path, depth, onChange, onRemove, errors, readOnly }: { group: RuleGroup; path: string; depth: number; onChange: (g: RuleGroup) => void; onRemove?: () => void; errors: RuleErrorMap; readOnly?: boolean }) {
  const { t } = useTranslation();
  const setChild = (i: number, child: RuleNode) => onChange({ ...group, children: group.children.map((c, j) => (j === i ? child : c)) });
  const removeChild = (i: number) => onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  const body = (
    <BlockStack gap="300">
      <InlineStack gap="200" blockAlign="center" align="space-between">
        <Select
          label={t("segmentRule.match.label")}
          labelHidden
          disabled={readOnly}
          options={[
            { label: t("segmentRule.match.all"), value: "all" },
            { label: t("segmentRule.match.any"), value: "any" },
          ]}
          value={group.match}
          onChange={(match) => onChange({ ...group, match: match as RuleGroup["match"] })}
        />
        {onRemove && !readOnly ? (
          <Button variant="plain" tone="critical" onClick={onRemove}>
            {t("segmentRule.remove")}
          </Button>
        ) : null}
      </InlineStack>
      {errors[path] ? (
        <Text as="p" tone="critical">
          {t(errors[path])}
        </Text>
      ) : null}
      {group.children.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("segmentRule.everyone")}
        </Text>
      ) : null}
      {group.children.map((child, i) => {
        const childPath = join(path, `children.${i}`);
        return child.type === "group" ? (
          <GroupEditor key={i} group={child} path={childPath} depth={depth + 1} onChange={(g) => setChild(i, g)} onRemove={() => removeChild(i)} errors={errors} readOnly={readOnly} />
        ) : (
          <ConditionEditor key={i} condition={child} path={childPath} onChange={(c) => setChild(i, c)} onRemove={() => removeChild(i)} errors={errors} readOnly={readOnly} />
        );
      })}
      {readOnly ? null : (
        <InlineStack gap="200">
          <Button onClick={() => onChange({ ...group, children: [...group.children, newCondition("lifecycleStage")] })}>{t("segmentRule.addCondition")}</Button>
          {depth < 4 ? <Button onClick={() => onChange({ ...group, children: [...group.children, { type: "group", match: "any", children: [newCondition("lifecycleStage")] }] })}>{t("segmentRule.addGroup")}</Button> : null}
        </InlineStack>
      )}
    </BlockStack>
  );
  return depth === 1 ? body : <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">{body}</Box>;
}

function ConditionEditor({ condition, path, onChange, onRemove, errors, readOnly }: { condition: RuleCondition; path: string; onChange: (c: RuleCondition) => void; onRemove: () => void; errors: RuleErrorMap; readOnly?: boolean }) {
  const { t } = useTranslation();
  const definition = FIELDS[condition.field];
  const error = (part: string) => (errors[join(path, part)] ? t(errors[join(path, part)]) : errors[path] && part === "value" ? t(errors[path]) : undefined);
  return (
    <Card>
      <BlockStack gap="200">
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="200">
          <Select
            label={t("segmentRule.field")}
            disabled={readOnly}
            options={FIELD_KEYS.map((key) => ({ label: t(FIELDS[key].label), value: key }))}
            value={condition.field}
            error={error("field")}
            onChange={(field) => onChange(newCondition(field as FieldKey))}
          />
          <Select
            label={t("segmentRule.operator")}
            disabled={readOnly}
            options={operatorsOf(condition.field).map((op) => ({ label: t(`segmentRule.operator.${op}` as TranslationKey), value: op }))}
            value={condition.operator}
            error={error("operator")}
            onChange={(operator) => {
              const op = operator as Operator;
              const switchesKind = definition.type === "date" && (op === "before" || op === "after") !== (condition.operator === "before" || condition.operator === "after");
              onChange(switchesKind ? newCondition(condition.field, op) : { ...condition, operator: op });
            }}
          />
          <ValueEditor condition={condition} onChange={onChange} error={error("value")} readOnly={readOnly} />
        </InlineGrid>
        {definition.type === "purchase" ? (
          <TextField
            label={t("segmentRule.withinDays")}
            type="number"
            autoComplete="off"
            disabled={readOnly}
            value={condition.withinDays ? String(condition.withinDays) : ""}
            error={error("withinDays")}
            onChange={(text) => onChange({ ...condition, withinDays: text.trim() === "" ? null : Number(text) })}
          />
        ) : null}
        {readOnly ? null : (
          <InlineStack align="end">
            <Button variant="plain" tone="critical" onClick={onRemove}>
              {t("segmentRule.remove")}
            </Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

function ValueEditor({ condition, onChange, error, readOnly }: { condition: RuleCondition; onChange: (c: RuleCondition) => void; error?: string; readOnly?: boolean }) {
  const { t } = useTranslation();
  const definition = FIELDS[condition.field];
  const label = t("segmentRule.value");
  switch (definition.type) {
    case "number": {
      const fraction = "fraction" in definition && definition.fraction;
      const shown = fraction ? Math.round((condition.value as number) * 10_000) / 100 : (condition.value as number);
      return (
        <TextField
          label={label}
          type="number"
          autoComplete="off"
          disabled={readOnly}
          value={String(shown)}
          suffix={fraction ? "%" : undefined}
          error={error}
          onChange={(text) => {
            const n = text.trim() === "" ? Number.NaN : Number(text.replace(",", "."));
            onChange({ ...condition, value: fraction ? n / 100 : n });
          }}
        />
      );
    }
    case "enum": {
      const selected = condition.value as string[];
      return (
        <BlockStack gap="100">
          <Text as="span">{label}</Text>
          {(definition.values as readonly string[]).map((value) => (
            <Checkbox
              key={value}
              label={t(`${definition.valueLabelPrefix}${value}` as TranslationKey)}
              disabled={readOnly}
              checked={selected.includes(value)}
              onChange={(on) => onChange({ ...condition, value: on ? [...selected, value] : selected.filter((v) => v !== value) })}
            />
          ))}
          {error ? (
            <Text as="span" tone="critical">
              {error}
            </Text>
          ) : null}
        </BlockStack>
      );
    }
    case "text":
      return <ListValue values={condition.value as string[]} onChange={(value) => onChange({ ...condition, value })} label={label} error={error} readOnly={readOnly} />;
    case "purchase":
      return (
        <ValuePicker
          key={condition.field}
          field={condition.field as PurchaseValueField}
          values={condition.value as string[]}
          onChange={(value) => onChange({ ...condition, value })}
          label={label}
          error={error}
          readOnly={readOnly}
        />
      );
    case "tag": {
      // One tag, picked from those the shop's customers hold (a rule compares it exactly), or typed.
      const tag = condition.value as string;
      return (
        <ValuePicker
          field="tag"
          values={tag ? [tag] : []}
          onChange={(values) => onChange({ ...condition, value: values[values.length - 1] ?? "" })}
          label={label}
          error={error}
          readOnly={readOnly}
        />
      );
    }
    case "date":
      return condition.operator === "before" || condition.operator === "after" ? (
        <TextField label={label} type="date" autoComplete="off" disabled={readOnly} value={condition.value as string} error={error} onChange={(value) => onChange({ ...condition, value })} />
      ) : (
        <TextField
          label={label}
          type="number"
          autoComplete="off"
          disabled={readOnly}
          value={String(condition.value)}
          error={error}
          onChange={(text) => onChange({ ...condition, value: text.trim() === "" ? Number.NaN : Number(text) })}
        />
      );
  }
}

/** Comma-separated values, kept as typed until they parse (so "a, " can become "a, b"). */
function ListValue({ values, onChange, label, error, readOnly }: { values: string[]; onChange: (v: string[]) => void; label: string; error?: string; readOnly?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState(values.join(", "));
  return (
    <TextField
      label={label}
      autoComplete="off"
      disabled={readOnly}
      value={text}
      helpText={t("segmentRule.valuesHelp")}
      error={error}
      onChange={(next) => {
        setText(next);
        onChange(next.split(",").map((v) => v.trim()).filter((v) => v !== ""));
      }}
    />
  );
}

/** How long the search waits after the last keystroke. */
const SEARCH_DELAY_MS = 250;

/**
 * Products, product types, vendors or a tag picked from the shop's own (searchable), shown by
 * title; the rule keeps product ids. Types, vendors and tags can also be typed (a value sold
 * before the products were imported, a tag no customer holds yet). A tag condition holds one
 * value: picking another replaces it.
 */
function ValuePicker({ field, values, onChange, label, error, readOnly }: { field: PickerField; values: string[]; onChange: (v: string[]) => void; label: string; error?: string; readOnly?: boolean }) {
  const { t } = useTranslation();
  const search = useFetcher<SegmentValueOptions>();
  const [query, setQuery] = useState("");
  const [labels, setLabels] = useState<Record<string, string>>({});
  const selectedKey = values.join("\n");
  useEffect(() => {
    const params = new URLSearchParams({ field, q: query.trim() });
    // Only values without a title yet: what the rule held when the editor opened, for instance.
    for (const value of values) if (!(value in labels)) params.append("selected", value);
    const timer = setTimeout(() => search.load(`/app/segments/value-options?${params}`), query ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
    // The fetcher object changes on every render; the field, the search and the values are what matter.
  }, [field, query, selectedKey]);
  const data = search.data?.status === "ok" ? search.data : null;
  useEffect(() => {
    if (!data) return;
    setLabels((known) => ({ ...known, ...Object.fromEntries([...data.options, ...data.selected].map((o) => [o.value, o.label])) }));
  }, [data]);
  const options = useMemo(() => (data?.options ?? []).map((o) => ({ value: o.value, label: o.label })), [data]);
  const typed = query.trim();
  // Not when an option differs only in case: the rule compares exactly, so "vip" would match none of "VIP"'s holders.
  const canUseTyped = field !== "product" && typed !== "" && !values.includes(typed) && !options.some((o) => o.value.toLowerCase() === typed.toLowerCase());
  const single = field === "tag";
  return (
    <BlockStack gap="200">
      <Autocomplete
        allowMultiple={!single}
        options={options}
        selected={values}
        onSelect={(selected) => {
          onChange(selected);
          if (single) setQuery("");
        }}
        loading={search.state === "loading"}
        emptyState={
          <Box padding="300">
            <Text as="p" tone="subdued">
              {t(`segmentRule.picker.none.${field}` as TranslationKey)}
            </Text>
          </Box>
        }
        actionBefore={canUseTyped ? { content: t("segmentRule.picker.useTyped", { value: typed }), onAction: () => { onChange([...values, typed]); setQuery(""); } } : undefined}
        textField={
          <Autocomplete.TextField
            label={label}
            autoComplete="off"
            disabled={readOnly}
            value={query}
            placeholder={t(`segmentRule.picker.search.${field}` as TranslationKey)}
            error={error}
            onChange={setQuery}
          />
        }
      />
      {values.length > 0 ? (
        <InlineStack gap="100">
          {values.map((value) => (
            <Tag key={value} onRemove={readOnly ? undefined : () => onChange(values.filter((v) => v !== value))}>
              {labels[value] ?? value}
            </Tag>
          ))}
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
