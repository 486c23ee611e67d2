/*
 * The SQLite functions archive search needs beyond SQLite's own: qrank() and phrase_rowids().
 *
 * qrank(fts, idfs, w0, w1, ...): FTS5's bm25() with the inverse document frequency of each phrase
 * given by the caller. bm25() counts every phrase's matches over the whole table (a scan of its
 * lists) once per query, before the first row: for a word in 20,000 of 55,000 items that is as
 * long as counting the matches. The caller knows when the count cannot change the order: with one
 * phrase that scores, any positive IDF orders the rows as bm25() does.
 *
 * `idfs` is text, one number per phrase of the query in the order FTS5 numbers them: a value >= 0
 * is used as the phrase's IDF (0: the phrase does not score, e.g. an excluded word), a negative one
 * is counted as bm25() counts it. Missing numbers count as -1. The weights are bm25()'s column weights.
 * Built from bm25() in SQLite's fts5_aux.c (public domain), same constants and formula.
 */

/*
 * phrase_rowids(fts): an auxiliary function, called for the first row of a query whose phrases are
 * alternatives (`"a b"`, `("x" OR "y")`, `county : "江山市"`): every rowid any of the phrases matches,
 * over the whole table, as a blob of doubles (native byte order) in ascending order. FTS5 walks each
 * phrase's list itself (xQueryPhrase, as bm25() counts), which costs about what COUNT(*) costs;
 * an aggregate over the rows of the query cost twice that. Doubles hold every rowid up to 2^53
 * exactly and are read in JavaScript without conversion. The caller keeps the lists of words and
 * counts queries of several of them from the lists, without reading the index again.
 *
 * phrase_rowids(fts, max, w0, w1, ...), of a query of one phrase: the same rowids, then, when there
 * are no more than `max`, each one's rank as `qrank(fts, '1', w0, w1, ...)` gives it (in the same
 * order), then one double: how many ranks there are (0 or the number of rowids). The walk already
 * reads the phrase's positions, so a query of the phrase alone is ranked from the list instead of
 * walking its lists a second time (200,000 items, `"衢江区发展改革局组织开展"`: 4.7 ms of its 8.6).
 * Ranking costs about 0.4 µs a row, hence the limit: a common word's rows are ranked by SQL among
 * its newest. Of several phrases, no ranks.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include "fts5.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct RankData {
  int nPhrase;
  double avgdl;
  double *aIDF;
  double *aFreq;
} RankData;

static int countCallback(const Fts5ExtensionApi *pApi, Fts5Context *pFts, void *pUserData) {
  (void)pApi;
  (void)pFts;
  (*(sqlite3_int64 *)pUserData)++;
  return SQLITE_OK;
}

/* The table's rows and their average size in tokens. */
static int tableSize(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_int64 *pnRow, double *pAvgdl) {
  sqlite3_int64 nToken = 0;
  int rc = pApi->xRowCount(pFts, pnRow);
  if (rc == SQLITE_OK) rc = pApi->xColumnTotalSize(pFts, -1, &nToken);
  if (rc == SQLITE_OK) *pAvgdl = *pnRow > 0 ? (double)nToken / (double)*pnRow : 1.0;
  return rc;
}

/*
 * The current row: each phrase's instances added to aFreq[phrase], weighed by their column's weight
 * (apWeight[column], 1.0 for a column past them), and the row's size in tokens.
 */
static int rowFreqs(const Fts5ExtensionApi *pApi, Fts5Context *pFts, int nWeight, sqlite3_value **apWeight, double *aFreq, double *pD) {
  int nInst = 0, nTok = 0, i;
  int rc = pApi->xInstCount(pFts, &nInst);
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK) aFreq[ip] += (nWeight > ic) ? sqlite3_value_double(apWeight[ic]) : 1.0;
  }
  if (rc == SQLITE_OK) rc = pApi->xColumnSize(pFts, -1, &nTok);
  *pD = (double)nTok;
  return rc;
}

/* One phrase's part of bm25 before its IDF: FTS5's bm25() formula and constants. */
static double bm25Part(double freq, double D, double avgdl) {
  const double k1 = 1.2, b = 0.75;
  return (freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * D / avgdl));
}

/* The per-query data, made on the first row: average row size and each phrase's IDF. */
static int rankData(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_value *pIdfs, RankData **ppData) {
  int rc = SQLITE_OK;
  RankData *p = (RankData *)pApi->xGetAuxdata(pFts, 0);
  if (p == 0) {
    int nPhrase = pApi->xPhraseCount(pFts);
    sqlite3_int64 nRow = 0;
    size_t nByte = sizeof(RankData) + (size_t)nPhrase * 2 * sizeof(double);
    const char *z = pIdfs ? (const char *)sqlite3_value_text(pIdfs) : 0;
    int i;
    p = (RankData *)sqlite3_malloc64(nByte);
    if (p == 0) return SQLITE_NOMEM;
    memset(p, 0, nByte);
    p->nPhrase = nPhrase;
    p->aIDF = (double *)&p[1];
    p->aFreq = &p->aIDF[nPhrase];
    rc = tableSize(pApi, pFts, &nRow, &p->avgdl);
    for (i = 0; rc == SQLITE_OK && i < nPhrase; i++) {
      double idf = -1.0;
      if (z) {
        char *end;
        double given = strtod(z, &end);
        if (end != z) {
          idf = given;
          z = end;
        } else {
          z = 0;
        }
      }
      if (idf < 0) {
        sqlite3_int64 nHit = 0;
        rc = pApi->xQueryPhrase(pFts, i, (void *)&nHit, countCallback);
        idf = log((nRow - nHit + 0.5) / (nHit + 0.5));
        if (idf <= 0.0) idf = 1e-6;
      }
      p->aIDF[i] = idf;
    }
    if (rc == SQLITE_OK) rc = pApi->xSetAuxdata(pFts, p, sqlite3_free);
    else sqlite3_free(p);
    if (rc != SQLITE_OK) p = 0;
  }
  *ppData = p;
  return rc;
}

static void rankFunction(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  RankData *p = 0;
  int rc = rankData(pApi, pFts, nVal > 0 ? apVal[0] : 0, &p);
  int i;
  double D = 0.0, score = 0.0;
  if (rc == SQLITE_OK) {
    memset(p->aFreq, 0, sizeof(double) * p->nPhrase);
    rc = rowFreqs(pApi, pFts, nVal - 1, &apVal[1], p->aFreq, &D);
  }
  if (rc == SQLITE_OK) {
    for (i = 0; i < p->nPhrase; i++) score += p->aIDF[i] * bm25Part(p->aFreq[i], D, p->avgdl);
    sqlite3_result_double(pCtx, -1.0 * score);
  } else {
    sqlite3_result_error_code(pCtx, rc);
  }
}

typedef struct Rowids {
  double *a;
  sqlite3_int64 n, nAlloc;
  /* With ranks: each rowid is followed by its rank (pairs), as qrank with an IDF of 1 gives it,
  ** while there are no more than nMaxScore rows; past that, the ranks are dropped. */
  int bScore;
  sqlite3_int64 nMaxScore;
  int nWeight;
  sqlite3_value **apWeight;
  double avgdl;
} Rowids;

static int rowidCallback(const Fts5ExtensionApi *pApi, Fts5Context *pFts, void *pUserData) {
  Rowids *p = (Rowids *)pUserData;
  int nPer = p->bScore ? 2 : 1;
  if (p->bScore && p->n == p->nMaxScore) {
    /* One row too many: keep the rowids alone (pairs → rowids, in place). */
    sqlite3_int64 j;
    for (j = 0; j < p->n; j++) p->a[j] = p->a[2 * j];
    p->bScore = 0;
    nPer = 1;
  }
  if (p->n * nPer + nPer > p->nAlloc) {
    sqlite3_int64 nAlloc = p->nAlloc ? p->nAlloc * 2 : 1024;
    double *a = (double *)sqlite3_realloc64(p->a, (sqlite3_uint64)nAlloc * sizeof(double));
    if (a == 0) return SQLITE_NOMEM;
    p->a = a;
    p->nAlloc = nAlloc;
  }
  if (p->bScore) {
    /* rankFunction's arithmetic for one phrase of IDF 1, so the order is exactly qrank's. */
    double freq = 0.0, D = 0.0;
    int rc = rowFreqs(pApi, pFts, p->nWeight, p->apWeight, &freq, &D);
    if (rc != SQLITE_OK) return rc;
    p->a[2 * p->n] = (double)pApi->xRowid(pFts);
    p->a[2 * p->n + 1] = -1.0 * (0.0 + 1.0 * bm25Part(freq, D, p->avgdl));
  } else {
    p->a[p->n] = (double)pApi->xRowid(pFts);
  }
  p->n++;
  return SQLITE_OK;
}

static int compareDoubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void phraseRowids(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal, sqlite3_value **apVal) {
  Rowids r;
  int nPhrase = pApi->xPhraseCount(pFts);
  int rc = SQLITE_OK;
  int bRanked = nVal > 0;
  int i;
  memset(&r, 0, sizeof(r));
  if (bRanked && nPhrase == 1) {
    sqlite3_int64 nRow = 0;
    r.bScore = 1;
    r.nMaxScore = sqlite3_value_int64(apVal[0]);
    r.nWeight = nVal - 1;
    r.apWeight = &apVal[1];
    rc = tableSize(pApi, pFts, &nRow, &r.avgdl);
  }
  for (i = 0; i < nPhrase && rc == SQLITE_OK; i++) rc = pApi->xQueryPhrase(pFts, i, (void *)&r, rowidCallback);
  if (rc != SQLITE_OK) {
    sqlite3_free(r.a);
    sqlite3_result_error_code(pCtx, rc);
    return;
  }
  if (nPhrase > 1 && r.n > 1) {
    /* Alternatives: their lists merged, each rowid once. */
    sqlite3_int64 j, n = 1;
    qsort(r.a, (size_t)r.n, sizeof(double), compareDoubles);
    for (j = 1; j < r.n; j++) if (r.a[j] != r.a[n - 1]) r.a[n++] = r.a[j];
    r.n = n;
  }
  if (r.n == 0) {
    sqlite3_free(r.a);
    sqlite3_result_null(pCtx);
    return;
  }
  if (bRanked) {
    /* The rowids, then the ranks in the same order (pairs apart), then how many ranks. */
    sqlite3_int64 nRank = r.bScore ? r.n : 0, j;
    double *out = (double *)sqlite3_malloc64((sqlite3_uint64)(r.n + nRank + 1) * sizeof(double));
    if (out == 0) {
      sqlite3_free(r.a);
      sqlite3_result_error_nomem(pCtx);
      return;
    }
    for (j = 0; j < r.n; j++) out[j] = r.bScore ? r.a[2 * j] : r.a[j];
    for (j = 0; j < nRank; j++) out[r.n + j] = r.a[2 * j + 1];
    out[r.n + nRank] = (double)nRank;
    sqlite3_free(r.a);
    r.a = out;
    r.n += nRank + 1;
  }
  sqlite3_result_blob64(pCtx, r.a, (sqlite3_uint64)r.n * sizeof(double), sqlite3_free);
}

static fts5_api *fts5Api(sqlite3 *db) {
  fts5_api *pRet = 0;
  sqlite3_stmt *pStmt = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, 0) == SQLITE_OK) {
    sqlite3_bind_pointer(pStmt, 1, (void *)&pRet, "fts5_api_ptr", 0);
    sqlite3_step(pStmt);
  }
  sqlite3_finalize(pStmt);
  return pRet;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_searchext_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  fts5_api *fts;
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  fts = fts5Api(db);
  if (fts == 0 || fts->iVersion < 2) {
    *pzErrMsg = sqlite3_mprintf("search-extension: this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  rc = fts->xCreateFunction(fts, "qrank", 0, rankFunction, 0);
  if (rc != SQLITE_OK) return rc;
  return fts->xCreateFunction(fts, "phrase_rowids", 0, phraseRowids, 0);
}
