export {
  GraphClient,
  GRAPH_USER_FIELDS,
  type GraphClientOptions,
  type GraphPhoto,
  type GraphResult,
  type GraphTokenProvider,
  type GraphUser,
} from "./graph-client.js";
