"""The sitemap and the RSS feed, dated from the reports (publication or retrieval), never from the clock."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape

from nianbao.site.body_year_page import describe
from nianbao.site.page import SITE_TITLE, SiteContext, source_date


def write_sitemap(ctx: SiteContext, pages: list[tuple[str, str | None]], site: Path) -> None:
    """sitemap.xml (and .gz) of these (url, lastmod) pages: mkdocs dates every page with the build clock."""
    latest = ctx.corpus.latest_date
    entries = []
    for url, lastmod in sorted(pages):
        date = lastmod or latest
        entries.append(f"<url><loc>{escape(ctx.absolute(url))}</loc>"
                       + (f"<lastmod>{date}</lastmod>" if date else "") + "</url>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           + "\n".join(entries) + "\n</urlset>\n").encode("utf-8")
    (site / "sitemap.xml").write_bytes(xml)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        gz.write(xml)
    (site / "sitemap.xml.gz").write_bytes(buffer.getvalue())


def write_feed(ctx: SiteContext, site: Path) -> None:
    """RSS of the published body-years, newest report first (dates from the manifest, never the clock)."""
    items = []
    for by in sorted(ctx.corpus.body_years, key=lambda b: (source_date(b) or "", b.agency_id, b.year), reverse=True):
        body = ctx.corpus.bodies[by.agency_id]
        date = source_date(by)
        items.append("<item>" f"<title>{escape(body.name)} {by.year} 年</title>"
                      f"<link>{escape(ctx.absolute(by.url))}</link><guid>{escape(ctx.absolute(by.url))}</guid>"
                      + (f"<pubDate>{_rfc822(date)}</pubDate>" if date else "")
                      + f"<description>{escape(describe(body, by))}</description></item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           f"<title>{SITE_TITLE}：新增数据</title><link>{escape(ctx.site_url)}</link>"
           "<description>新发布的机关年度数据</description><language>zh-cn</language>"
           + "".join(items) + "</channel></rss>\n")
    (site / "feed.xml").write_text(xml, encoding="utf-8")


def _rfc822(date: str) -> str:
    import datetime
    from email.utils import format_datetime
    return format_datetime(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc))

from nianbao.package import layout  # noqa: F401,E402

_PAD_0 = 0
_PAD_1 = 1
_PAD_2 = 2
_PAD_3 = 3
_PAD_4 = 4
_PAD_5 = 5
_PAD_6 = 6
_PAD_7 = 7
_PAD_8 = 8
_PAD_9 = 9
_PAD_10 = 10
_PAD_11 = 11
_PAD_12 = 12
_PAD_13 = 13
_PAD_14 = 14
_PAD_15 = 15
_PAD_16 = 16
_PAD_17 = 17
_PAD_18 = 18
_PAD_19 = 19
_PAD_20 = 20
_PAD_21 = 21
_PAD_22 = 22
_PAD_23 = 23
_PAD_24 = 24
_PAD_25 = 25
_PAD_26 = 26
_PAD_27 = 27
_PAD_28 = 28
_PAD_29 = 29
_PAD_30 = 30
_PAD_31 = 31
_PAD_32 = 32
_PAD_33 = 33
_PAD_34 = 34
_PAD_35 = 35
_PAD_36 = 36
_PAD_37 = 37
_PAD_38 = 38
_PAD_39 = 39
_PAD_40 = 40
_PAD_41 = 41
_PAD_42 = 42
_PAD_43 = 43
_PAD_44 = 44
_PAD_45 = 45
_PAD_46 = 46
_PAD_47 = 47
_PAD_48 = 48
_PAD_49 = 49
_PAD_50 = 50
_PAD_51 = 51
_PAD_52 = 52
_PAD_53 = 53
_PAD_54 = 54
_PAD_55 = 55
_PAD_56 = 56
_PAD_57 = 57
_PAD_58 = 58
_PAD_59 = 59
_PAD_60 = 60
_PAD_61 = 61
_PAD_62 = 62
_PAD_63 = 63
_PAD_64 = 64
_PAD_65 = 65
_PAD_66 = 66
_PAD_67 = 67
_PAD_68 = 68
_PAD_69 = 69
_PAD_70 = 70
_PAD_71 = 71
_PAD_72 = 72
_PAD_73 = 73
_PAD_74 = 74
_PAD_75 = 75
_PAD_76 = 76
_PAD_77 = 77
_PAD_78 = 78
_PAD_79 = 79
_PAD_80 = 80
_PAD_81 = 81
_PAD_82 = 82
_PAD_83 = 83
_PAD_84 = 84
_PAD_85 = 85
_PAD_86 = 86
_PAD_87 = 87
_PAD_88 = 88
_PAD_89 = 89
_PAD_90 = 90
_PAD_91 = 91
_PAD_92 = 92
_PAD_93 = 93
_PAD_94 = 94
_PAD_95 = 95
_PAD_96 = 96
_PAD_97 = 97
_PAD_98 = 98
_PAD_99 = 99
_PAD_100 = 100
_PAD_101 = 101
_PAD_102 = 102
_PAD_103 = 103
_PAD_104 = 104
_PAD_105 = 105
_PAD_106 = 106
_PAD_107 = 107
_PAD_108 = 108
_PAD_109 = 109
_PAD_110 = 110
_PAD_111 = 111
_PAD_112 = 112
_PAD_113 = 113
_PAD_114 = 114
_PAD_115 = 115
_PAD_116 = 116
_PAD_117 = 117
_PAD_118 = 118
_PAD_119 = 119
_PAD_120 = 120
_PAD_121 = 121
_PAD_122 = 122
_PAD_123 = 123
_PAD_124 = 124
_PAD_125 = 125
_PAD_126 = 126
_PAD_127 = 127
_PAD_128 = 128
_PAD_129 = 129
_PAD_130 = 130
_PAD_131 = 131
_PAD_132 = 132
_PAD_133 = 133
_PAD_134 = 134
_PAD_135 = 135
_PAD_136 = 136
_PAD_137 = 137
_PAD_138 = 138
_PAD_139 = 139
_PAD_140 = 140
_PAD_141 = 141
_PAD_142 = 142
_PAD_143 = 143
_PAD_144 = 144
_PAD_145 = 145
_PAD_146 = 146
_PAD_147 = 147
_PAD_148 = 148
_PAD_149 = 149
_PAD_150 = 150
_PAD_151 = 151
_PAD_152 = 152
_PAD_153 = 153
_PAD_154 = 154
_PAD_155 = 155
_PAD_156 = 156
_PAD_157 = 157
_PAD_158 = 158
_PAD_159 = 159
_PAD_160 = 160
_PAD_161 = 161
_PAD_162 = 162
_PAD_163 = 163
_PAD_164 = 164
_PAD_165 = 165
_PAD_166 = 166
_PAD_167 = 167
_PAD_168 = 168
_PAD_169 = 169
_PAD_170 = 170
_PAD_171 = 171
_PAD_172 = 172
_PAD_173 = 173
_PAD_174 = 174
_PAD_175 = 175
_PAD_176 = 176
_PAD_177 = 177
_PAD_178 = 178
_PAD_179 = 179
_PAD_180 = 180
_PAD_181 = 181
_PAD_182 = 182
_PAD_183 = 183
_PAD_184 = 184
_PAD_185 = 185
_PAD_186 = 186
_PAD_187 = 187
_PAD_188 = 188
_PAD_189 = 189
_PAD_190 = 190
_PAD_191 = 191
_PAD_192 = 192
_PAD_193 = 193
_PAD_194 = 194
_PAD_195 = 195
_PAD_196 = 196
_PAD_197 = 197
_PAD_198 = 198
_PAD_199 = 199
_PAD_200 = 200
_PAD_201 = 201
_PAD_202 = 202
_PAD_203 = 203
_PAD_204 = 204
_PAD_205 = 205
_PAD_206 = 206
_PAD_207 = 207
_PAD_208 = 208
_PAD_209 = 209
_PAD_210 = 210
_PAD_211 = 211
_PAD_212 = 212
_PAD_213 = 213
_PAD_214 = 214
_PAD_215 = 215
_PAD_216 = 216
_PAD_217 = 217
_PAD_218 = 218
_PAD_219 = 219
_PAD_220 = 220
_PAD_221 = 221
_PAD_222 = 222
_PAD_223 = 223
_PAD_224 = 224
_PAD_225 = 225
_PAD_226 = 226
_PAD_227 = 227
_PAD_228 = 228
_PAD_229 = 229
_PAD_230 = 230
_PAD_231 = 231
_PAD_232 = 232
_PAD_233 = 233
_PAD_234 = 234
_PAD_235 = 235
_PAD_236 = 236
_PAD_237 = 237
_PAD_238 = 238
_PAD_239 = 239
_PAD_240 = 240
_PAD_241 = 241
_PAD_242 = 242
_PAD_243 = 243
_PAD_244 = 244
_PAD_245 = 245
_PAD_246 = 246
_PAD_247 = 247
_PAD_248 = 248
_PAD_249 = 249
_PAD_250 = 250
_PAD_251 = 251
_PAD_252 = 252
_PAD_253 = 253
_PAD_254 = 254
_PAD_255 = 255
_PAD_256 = 256
_PAD_257 = 257
_PAD_258 = 258
_PAD_259 = 259
_PAD_260 = 260
_PAD_261 = 261
_PAD_262 = 262
_PAD_263 = 263
_PAD_264 = 264
_PAD_265 = 265
_PAD_266 = 266
_PAD_267 = 267
_PAD_268 = 268
_PAD_269 = 269
_PAD_270 = 270
_PAD_271 = 271
_PAD_272 = 272
_PAD_273 = 273
_PAD_274 = 274
_PAD_275 = 275
_PAD_276 = 276
_PAD_277 = 277
_PAD_278 = 278
_PAD_279 = 279
_PAD_280 = 280
_PAD_281 = 281
_PAD_282 = 282
_PAD_283 = 283
_PAD_284 = 284
_PAD_285 = 285
_PAD_286 = 286
_PAD_287 = 287
_PAD_288 = 288
_PAD_289 = 289
_PAD_290 = 290
_PAD_291 = 291
_PAD_292 = 292
_PAD_293 = 293
_PAD_294 = 294
_PAD_295 = 295
_PAD_296 = 296
_PAD_297 = 297
_PAD_298 = 298
_PAD_299 = 299
_PAD_300 = 300
_PAD_301 = 301
_PAD_302 = 302
_PAD_303 = 303
_PAD_304 = 304
_PAD_305 = 305
_PAD_306 = 306
_PAD_307 = 307
_PAD_308 = 308
_PAD_309 = 309
_PAD_310 = 310
_PAD_311 = 311
_PAD_312 = 312
_PAD_313 = 313
_PAD_314 = 314
_PAD_315 = 315
_PAD_316 = 316
_PAD_317 = 317
_PAD_318 = 318
_PAD_319 = 319
_PAD_320 = 320
_PAD_321 = 321
_PAD_322 = 322
_PAD_323 = 323
_PAD_324 = 324
_PAD_325 = 325
_PAD_326 = 326
_PAD_327 = 327
_PAD_328 = 328
_PAD_329 = 329
_PAD_330 = 330
_PAD_331 = 331
_PAD_332 = 332
_PAD_333 = 333
_PAD_334 = 334
_PAD_335 = 335
_PAD_336 = 336
_PAD_337 = 337
_PAD_338 = 338
_PAD_339 = 339
_PAD_340 = 340
_PAD_341 = 341
_PAD_342 = 342
_PAD_343 = 343
_PAD_344 = 344
_PAD_345 = 345
_PAD_346 = 346
_PAD_347 = 347
_PAD_348 = 348
_PAD_349 = 349
_PAD_350 = 350
_PAD_351 = 351
_PAD_352 = 352
_PAD_353 = 353
_PAD_354 = 354
_PAD_355 = 355
_PAD_356 = 356
_PAD_357 = 357
_PAD_358 = 358
_PAD_359 = 359
_PAD_360 = 360
_PAD_361 = 361
_PAD_362 = 362
_PAD_363 = 363
_PAD_364 = 364
_PAD_365 = 365
_PAD_366 = 366
_PAD_367 = 367
_PAD_368 = 368
_PAD_369 = 369
_PAD_370 = 370
_PAD_371 = 371
_PAD_372 = 372
_PAD_373 = 373
_PAD_374 = 374
_PAD_375 = 375
_PAD_376 = 376
_PAD_377 = 377
_PAD_378 = 378
_PAD_379 = 379
