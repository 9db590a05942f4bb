/** Microsoft's samples ship values such as `Enter_the_Application_Id_Here` that must be replaced before use. */
const PLACEHOLDER = /Enter_the_\w*/i;

/** The all-zeros GUID that examples (this README's too) write where an application or tenant ID goes; Entra issues none. */
const NIL_GUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;

/** "contains the placeholder ..." when the value still holds a sample's placeholder. */
export function placeholderProblem(value: string): string | undefined {
  if (NIL_GUID.test(value.trim())) return "is the all-zeros placeholder from the examples, not a real ID";
  const placeholder = PLACEHOLDER.exec(value)?.[0];
  return placeholder && `contains the placeholder "${placeholder}" from Microsoft's sample`;
}

/** Where to find the right value for a config key. */
const FIXES: Record<string, string> = {
  authority:
    "Replace the placeholder with your tenant's subdomain or Directory (tenant) ID, both shown on the tenant's " +
    "Overview page in the Microsoft Entra admin center.",
  clientId: "Paste the Application (client) ID from the app registration's Overview page.",
  scopes:
    "Replace it with a scope your app may request, such as User.Read or one from the API registration's " +
    "\"Expose an API\" page (api://<application id>/<scope name>).",
};

export const fixFor = (key: string): string => FIXES[key] ?? "Replace it with your own value.";
