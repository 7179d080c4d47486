import { render } from "preact";
import { CustomerCardExtension } from "./customer-card-extension.tsx";

/** Entry of the admin.customer-details.block.render target: the admin calls it with `shopify` set. */
export default async () => {
  render(<CustomerCardExtension api={shopify} />, document.body);
};
