import type { ReactNode } from "react";

/**
 * Around a Polaris DataTable of customers: its cells may wrap (Polaris keeps them on one line),
 * so the table fits an embedded admin of 1,280 px (an iframe of ~1,040 px) without scrolling
 * sideways, in every language (Danish and Dutch headings are the longest).
 */
export function WrappingTable({ children }: { children: ReactNode }) {
  return (
    <div className="ci-wrapping-table">
      <style>
        {
          ".ci-wrapping-table .Polaris-DataTable__Cell{white-space:normal}.ci-wrapping-table .Polaris-DataTable__Heading{text-align:inherit}"
        }
      </style>
      {children}
    </div>
  );
}
