/** Turns a metric query and a time window into a picture people can look at in the report. */
export interface GraphProvider {
  readonly name: string;
  snapshot(request: GraphRequest): Promise<Graph>;
}

export interface GraphRequest {
  query: string;
  title?: string;
  /** ISO 8601 window. */
  start: string;
  end: string;
}

export interface Graph {
  title: string;
  imageUrl?: string;
  linkUrl?: string;
}
