// A small front end's use of the CNCD API, typed from /api/openapi.json (openapi-typescript
// generates api.d.ts; openapi-fetch calls with those types). `tsc --strict` checks it in the
// test suite (tests/core/test_typescript_client.py): a change of the API that would break a
// front end built on the published schema breaks the build here first.
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

type Schemas = components["schemas"];
export type PageSummary = Schemas["PageSummaryOut"];
export type PageDetail = Schemas["PageDetailOut"];
export type Bookmark = Schemas["BookmarkOut"];

/** The caller: a browser session (cookie and CSRF token) or an app's X-Session-Token. */
export function cncd(baseUrl: string, sessionToken?: string, language = "fr") {
  const headers: Record<string, string> = { "Accept-Language": language };
  if (sessionToken) headers["X-Session-Token"] = sessionToken;
  return createClient<paths>({ baseUrl, headers });
}
type Client = ReturnType<typeof cncd>;

/** The latest articles of a rubric: padlocked ones come with their teaser and `locked`. */
export async function latestArticles(client: Client, rubric: number): Promise<PageSummary[]> {
  const { data, error } = await client.GET("/api/pages/", {
    params: { query: { rubric, type: "atlas_pages.ArticlePage", ordering: "-date", limit: 10 } },
  });
  if (error || !data) throw new Error("the pages could not be listed");
  return data.items.filter((page) => page.title.length > 0);
}

/** A page whole, or why not: the padlock answers 401 (log in) or 403 (another group). */
export type Reading =
  | { kind: "page"; page: PageDetail }
  | { kind: "locked"; status: 401 | 403; teaser: string; message: string }
  | { kind: "missing" };

export async function readPage(client: Client, pageId: number): Promise<Reading> {
  const { data, error, response } = await client.GET("/api/pages/{page_id}/", {
    params: { path: { page_id: pageId } },
  });
  if (data) return { kind: "page", page: data };
  if (response.status === 401 || response.status === 403) {
    const locked = error as Schemas["LockedPageOut"];
    return { kind: "locked", status: response.status, teaser: locked.page.teaser, message: locked.detail };
  }
  return { kind: "missing" };
}

/** The draft an editor previews: the front end's preview route gets ?content_type=&token=. */
export async function previewDraft(client: Client, query: URLSearchParams): Promise<Schemas["PreviewOut"]> {
  const { data, response } = await client.GET("/api/pages/preview/", {
    params: { query: { content_type: query.get("content_type") ?? "", token: query.get("token") ?? "" } },
  });
  if (!data) throw new Error(response.status === 403 ? "preview link expired or not valid" : "no such preview");
  const draft: boolean = data.draft;
  return { ...data, draft };
}

/** An Atlas search, with the facets of the same filters. */
export async function searchAtlas(client: Client, words: string, country?: string) {
  const filters = { q: words, country, limit: 20 };
  const [projects, facets] = await Promise.all([
    client.GET("/api/atlas/projects/", { params: { query: filters } }),
    client.GET("/api/atlas/facets/", { params: { query: { q: words, country } } }),
  ]);
  if (!projects.data || !facets.data) throw new Error("the Atlas could not be searched");
  const titles: string[] = projects.data.items.map((project) => project.title);
  return { count: projects.data.count, titles, facets: facets.data };
}

/** The caller's bookmarks: read them, keep a page, note it, drop it. */
export async function bookmarks(client: Client, pageId: number): Promise<Bookmark[]> {
  const kept = await client.POST("/api/me/bookmarks/", { body: { page_id: pageId, note: "À relire" } });
  if (!kept.data) throw new Error("the page could not be kept");
  const id: number = kept.data.id;
  await client.PATCH("/api/me/bookmarks/{bookmark_id}/", {
    params: { path: { bookmark_id: id } },
    body: { note: "Lu" },
  });
  const { data } = await client.GET("/api/me/bookmarks/");
  const mine: Bookmark[] = data ?? [];
  const gone = mine.filter((bookmark) => !bookmark.available).map((bookmark) => bookmark.reason);
  if (gone.length) console.info("no longer available:", gone.join(", "));
  await client.DELETE("/api/me/bookmarks/{bookmark_id}/", { params: { path: { bookmark_id: id } } });
  return mine;
}
