/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-chart.c — a live chart of pages per second and errors over time.
 *
 * The chart is fed one stats sample at a time, either live from the engine
 * or from the crawl file's `samples` table, and draws them with cairo
 * inside a snapshot, as sysprof draws its charts.  However long the crawl,
 * it keeps at most MAX_POINTS points: when the array is full, neighbouring
 * points are averaged in pairs and each later point stands for twice as
 * many samples, so a day-long crawl costs the same to draw as a minute.
 */
#define G_LOG_DOMAIN "trawl-chart"

#include "config.h"

#include "trawl-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#define MAX_POINTS 512

struct _TrawlChart
{
  GtkWidget        parent_instance;

  GArray          *points;        /* owned, of TrawlChartPoint */
  TrawlChartPoint  pending;       /* the sum of the samples not yet in a point */
  guint            pending_count;
  guint            bucket;        /* samples per point */
  guint            n_samples;
  double           last_elapsed;  /* on the chart's time axis */
  double           last_raw;      /* as the sample gave it */
  double           offset;        /* added to the samples of this run */
  gint64           last_errors;
};

G_DEFINE_FINAL_TYPE (TrawlChart, trawl_chart, GTK_TYPE_WIDGET)

static void
trawl_chart_finalize (GObject *object)
{
  TrawlChart *self = TRAWL_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (trawl_chart_parent_class)->finalize (object);
}

static void
trawl_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else
    {
      *minimum = 160;
      *natural = 220;
    }
}

static GdkRGBA
theme_color (GtkWidget  *widget,
             const char *name,
             const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA color;

  /* libadwaita names its palette; another theme may not. */
  if (!gtk_style_context_lookup_color (context, name, &color))
    gdk_rgba_parse (&color, fallback);
  return color;
}

/* A step between gridlines that is 1, 2 or 5 times a power of ten. */
static double
nice_step (double range,
           int    n_steps)
{
  double raw = range / n_steps;
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

/* A step between time ticks that reads well on a clock. */
static double
time_step (double range)
{
  static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (range / steps[i] <= 6)
      return steps[i];
  return ceil (range / 6 / 86400) * 86400;
}

static char *
format_time (double seconds)
{
  guint s = (guint) seconds;

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       xalign,
           double       yalign)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - yalign * height);
  pango_cairo_show_layout (cr, layout);
}

static void
plot_series (cairo_t                *cr,
             const TrawlChartPoint  *points,
             guint                   n_points,
             gsize                   offset,
             double                  x0,
             double                  y0,
             double                  x_scale,
             double                  y_scale,
             const GdkRGBA          *color,
             gboolean                fill)
{
  for (guint i = 0; i < n_points; i++)
    {
      double value = *(const double *) ((const char *) &points[i] + offset);
      double x = x0 + points[i].elapsed * x_scale;
      double y = y0 - value * y_scale;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }

  if (fill && n_points > 1)
    {
      cairo_path_t *line = cairo_copy_path (cr);

      cairo_line_to (cr, x0 + points[n_points - 1].elapsed * x_scale, y0);
      cairo_line_to (cr, x0 + points[0].elapsed * x_scale, y0);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * 0.15);
      cairo_fill (cr);
      cairo_append_path (cr, line);
      cairo_path_destroy (line);
    }

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

static void
trawl_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  TrawlChart *self = TRAWL_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr (GArray) points = g_array_sized_new (FALSE, FALSE, sizeof (TrawlChartPoint), self->points->len + 1);
  GdkRGBA fg, grid, pages_color, errors_color;
  double left = 48, right = 12, top = 30, bottom = 24;
  double plot_w, plot_h, x_max = 10, y_max = 1, y_step, x_step;
  const char *legend[2];
  const GdkRGBA *legend_colors[2];
  double lx;
  cairo_t *cr;

  if (width <= left + right || height <= top + bottom)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha *= 0.12;
  pages_color = theme_color (widget, "accent_color", "#3584e4");
  errors_color = theme_color (widget, "error_color", "#e01b24");

  for (guint i = 0; i < self->points->len; i++)
    g_array_append_val (points, g_array_index (self->points, TrawlChartPoint, i));
  if (self->pending_count > 0)
    g_array_append_val (points, ((TrawlChartPoint) {
      .elapsed = self->last_elapsed,
      .pages_per_second = self->pending.pages_per_second / self->pending_count,
      .errors_per_second = self->pending.errors_per_second / self->pending_count,
    }));

  for (guint i = 0; i < points->len; i++)
    {
      TrawlChartPoint *p = &g_array_index (points, TrawlChartPoint, i);

      x_max = MAX (x_max, p->elapsed);
      y_max = MAX (y_max, MAX (p->pages_per_second, p->errors_per_second));
    }
  y_step = nice_step (y_max, 4);
  y_max = ceil (y_max / y_step) * y_step;
  x_step = time_step (x_max);

  plot_w = width - left - right;
  plot_h = height - top - bottom;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pango_layout_set_font_description (layout, NULL);
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
    pango_layout_set_attributes (layout, attrs);
    pango_attr_list_unref (attrs);
  }

  /* Horizontal gridlines with the rate on the left. */
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= y_max + y_step / 2; v += y_step)
    {
      double y = round (top + plot_h - v / y_max * plot_h) + 0.5;
      g_autofree char *text = g_strdup_printf ("%g", v);

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_w, y);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
      show_text (cr, layout, text, left - 6, y, 1, 0.5);
    }

  /* Vertical gridlines with the elapsed time below. */
  for (double t = 0; t <= x_max + 0.001; t += x_step)
    {
      double x = round (left + t / x_max * plot_w) + 0.5;
      g_autofree char *text = format_time (t);

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, top + plot_h);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
      show_text (cr, layout, text, x, top + plot_h + 4, t == 0 ? 0 : 0.5, 0);
    }

  /* The axes. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.4);
  cairo_move_to (cr, left + 0.5, top);
  cairo_line_to (cr, left + 0.5, top + plot_h + 0.5);
  cairo_line_to (cr, left + plot_w, top + plot_h + 0.5);
  cairo_stroke (cr);

  if (points->len > 0)
    {
      const TrawlChartPoint *data = (const TrawlChartPoint *) points->data;

      cairo_save (cr);
      cairo_rectangle (cr, left, top - 2, plot_w, plot_h + 3);
      cairo_clip (cr);
      plot_series (cr, data, points->len, G_STRUCT_OFFSET (TrawlChartPoint, pages_per_second),
                   left, top + plot_h, plot_w / x_max, plot_h / y_max, &pages_color, TRUE);
      plot_series (cr, data, points->len, G_STRUCT_OFFSET (TrawlChartPoint, errors_per_second),
                   left, top + plot_h, plot_w / x_max, plot_h / y_max, &errors_color, FALSE);
      cairo_restore (cr);
    }
  else
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.5);
      show_text (cr, layout, _("No samples yet"), left + plot_w / 2, top + plot_h / 2, 0.5, 0.5);
    }

  /* The legend, above the plot on the left. */
  legend[0] = _("Pages/s");
  legend[1] = _("Errors/s");
  legend_colors[0] = &pages_color;
  legend_colors[1] = &errors_color;
  lx = left;
  for (guint i = 0; i < G_N_ELEMENTS (legend); i++)
    {
      int w, h;

      gdk_cairo_set_source_rgba (cr, legend_colors[i]);
      cairo_rectangle (cr, lx, top / 2 - 5, 10, 10);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      show_text (cr, layout, legend[i], lx + 16, top / 2, 0, 0.5);
      pango_layout_get_pixel_size (layout, &w, &h);
      lx += 16 + w + 18;
    }

  cairo_destroy (cr);
}

static void
trawl_chart_class_init (TrawlChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = trawl_chart_finalize;
  widget_class->measure = trawl_chart_measure;
  widget_class->snapshot = trawl_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "trawlchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
trawl_chart_init (TrawlChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (TrawlChartPoint));
  self->bucket = 1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pages per second and errors per second over time"),
                                  -1);
}

GtkWidget *
trawl_chart_new (void)
{
  return g_object_new (TRAWL_TYPE_CHART, NULL);
}

/**
 * trawl_chart_clear:
 * @self: a chart
 *
 * Forgets every sample, for another crawl.
 */
void
trawl_chart_clear (TrawlChart *self)
{
  g_return_if_fail (TRAWL_IS_CHART (self));

  g_array_set_size (self->points, 0);
  self->pending = (TrawlChartPoint) { 0 };
  self->pending_count = 0;
  self->bucket = 1;
  self->n_samples = 0;
  self->last_elapsed = 0;
  self->last_raw = 0;
  self->offset = 0;
  self->last_errors = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Halves the points by averaging neighbours, so that they stay bounded. */
static void
merge_pairs (TrawlChart *self)
{
  guint n = self->points->len / 2;

  for (guint i = 0; i < n; i++)
    {
      TrawlChartPoint *a = &g_array_index (self->points, TrawlChartPoint, 2 * i);
      TrawlChartPoint *b = &g_array_index (self->points, TrawlChartPoint, 2 * i + 1);

      g_array_index (self->points, TrawlChartPoint, i) = (TrawlChartPoint) {
        .elapsed = b->elapsed,
        .pages_per_second = (a->pages_per_second + b->pages_per_second) / 2,
        .errors_per_second = (a->errors_per_second + b->errors_per_second) / 2,
      };
    }
  g_array_set_size (self->points, n);
  self->bucket *= 2;
}

/**
 * trawl_chart_add_sample:
 * @self: a chart
 * @elapsed: seconds the crawl has run
 * @pages_per_second: the rate at that time
 * @errors: errors so far (failed URLs, 4xx and 5xx answers); the chart
 *   shows how fast the count grows
 *
 * Adds one sample of the stats timeline and redraws.  A crawl that was
 * stopped and continued counts its elapsed time from zero again: the
 * chart draws the new run after the previous one.
 */
void
trawl_chart_add_sample (TrawlChart *self,
                        double      elapsed,
                        double      pages_per_second,
                        gint64      errors)
{
  double dt, errors_per_second = 0;

  g_return_if_fail (TRAWL_IS_CHART (self));

  if (self->n_samples > 0 && elapsed < self->last_raw)
    self->offset = self->last_elapsed;
  self->last_raw = elapsed;
  elapsed += self->offset;

  dt = elapsed - self->last_elapsed;
  if (dt > 0 && errors > self->last_errors)
    errors_per_second = (errors - self->last_errors) / dt;

  self->pending.pages_per_second += MAX (pages_per_second, 0);
  self->pending.errors_per_second += errors_per_second;
  self->pending_count++;
  self->n_samples++;
  self->last_elapsed = MAX (elapsed, self->last_elapsed);
  self->last_errors = errors;

  if (self->pending_count >= self->bucket)
    {
      TrawlChartPoint point = {
        .elapsed = self->last_elapsed,
        .pages_per_second = self->pending.pages_per_second / self->pending_count,
        .errors_per_second = self->pending.errors_per_second / self->pending_count,
      };

      g_array_append_val (self->points, point);
      self->pending = (TrawlChartPoint) { 0 };
      self->pending_count = 0;
      if (self->points->len >= MAX_POINTS)
        merge_pairs (self);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * trawl_chart_get_last_elapsed:
 * @self: a chart
 *
 * Returns: the elapsed time of the latest sample, as it was added, or 0.
 */
double
trawl_chart_get_last_elapsed (TrawlChart *self)
{
  g_return_val_if_fail (TRAWL_IS_CHART (self), 0);
  return self->last_raw;
}

/**
 * trawl_chart_get_n_samples:
 * @self: a chart
 *
 * Returns: how many samples were added since the chart was cleared.
 */
guint
trawl_chart_get_n_samples (TrawlChart *self)
{
  g_return_val_if_fail (TRAWL_IS_CHART (self), 0);
  return self->n_samples;
}

/**
 * trawl_chart_get_n_points:
 * @self: a chart
 *
 * Returns: how many points are drawn; the samples, or fewer when a long
 *   crawl was downsampled.
 */
guint
trawl_chart_get_n_points (TrawlChart *self)
{
  g_return_val_if_fail (TRAWL_IS_CHART (self), 0);
  return self->points->len + (self->pending_count > 0 ? 1 : 0);
}

/**
 * trawl_chart_get_point:
 * @self: a chart
 * @position: less than trawl_chart_get_n_points()
 *
 * Returns: a drawn point, for tests.
 */
TrawlChartPoint
trawl_chart_get_point (TrawlChart *self,
                       guint       position)
{
  g_return_val_if_fail (TRAWL_IS_CHART (self), (TrawlChartPoint) { 0 });
  g_return_val_if_fail (position < trawl_chart_get_n_points (self), (TrawlChartPoint) { 0 });

  if (position < self->points->len)
    return g_array_index (self->points, TrawlChartPoint, position);
  return (TrawlChartPoint) {
    .elapsed = self->last_elapsed,
    .pages_per_second = self->pending.pages_per_second / self->pending_count,
    .errors_per_second = self->pending.errors_per_second / self->pending_count,
  };
}
