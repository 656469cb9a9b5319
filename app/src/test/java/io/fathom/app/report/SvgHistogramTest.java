package io.fathom.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgHistogramTest {

    @Test
    void numericBinsDrawTwoBarsPerBinScaledToTheLargestShareWithEdgeTicks() throws Exception {
        // reference 10/30/60 %, current 50/25/25 %: the largest share is 60 %, so the axis tops at 60 %
        Histogram histogram =
                Histogram.numeric("amount", new double[] {10, 20}, new long[] {10, 30, 60}, new long[] {20, 10, 10});

        Document svg = parse(SvgHistogram.render(histogram));

        assertThat(SvgHistogram.render(histogram)).doesNotContain("xmlns"); // inline in HTML: no namespace needed
        NodeList rects = svg.getElementsByTagName("rect");
        assertThat(rects.getLength()).isEqualTo(6);
        double tallest = height(rects, 4); // the reference's third bin
        assertThat(height(rects, 0) / tallest).isCloseTo(10 / 60.0, within(1e-3));
        assertThat(height(rects, 1) / tallest).isCloseTo(50 / 60.0, within(1e-3));
        assertThat(((Element) rects.item(0)).getAttribute("fill")).isEqualTo(SvgHistogram.REFERENCE_COLOUR);
        assertThat(((Element) rects.item(1)).getAttribute("fill")).isEqualTo(SvgHistogram.CURRENT_COLOUR);
        assertThat(rects.item(0).getTextContent()).isEqualTo("< 10: reference 10 (10%), current 20 (50%)");
        assertThat(rects.item(2).getTextContent()).startsWith("[10, 20): reference 30 (30%)");
        assertThat(rects.item(4).getTextContent()).startsWith("≥ 20: reference 60 (60%)");
        assertThat(texts(svg)).contains("10", "20", "0%", "60%", "share of non-null values");
    }

    @Test
    void categoriesAreTicksAndTextFromTheInputIsEscaped() throws Exception {
        Histogram histogram = Histogram.categorical(
                "country<script>", List.of("US", "D&E", "__other__"), new long[] {5, 3, 2}, new long[] {0, 0, 0});

        String text = SvgHistogram.document(histogram);

        assertThat(text)
                .doesNotContain("<script>")
                .contains("country&lt;script&gt;")
                .contains("D&amp;E");
        Document svg = parse(text);
        assertThat(svg.getDocumentElement().getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getElementsByTagName("rect").getLength()).isEqualTo(6);
        assertThat(texts(svg)).contains("US", "D&E", "__other__");
        // an empty current window draws zero-height bars, not NaN
        assertThat(text).doesNotContain("NaN");
    }

    @Test
    void countsMustMatchTheBins() {
        assertThatThrownBy(() -> Histogram.numeric("amount", new double[] {1}, new long[] {1, 2}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount has 2 bins but 2 reference and 1 current counts");
        assertThatThrownBy(() -> Histogram.categorical("c", List.of(), new long[0], new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ticksAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgHistogram.tickStep(0.6)).isCloseTo(0.2, within(1e-12));
        assertThat(SvgHistogram.tickStep(0.25)).isCloseTo(0.05, within(1e-12));
        assertThat(SvgHistogram.tickStep(0.05)).isCloseTo(0.01, within(1e-12));
        assertThat(SvgHistogram.tickStep(0)).isEqualTo(0.01);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static double height(NodeList rects, int i) {
        return Double.parseDouble(((Element) rects.item(i)).getAttribute("height"));
    }

    private static List<String> texts(Document svg) {
        NodeList texts = svg.getElementsByTagName("text");
        return java.util.stream.IntStream.range(0, texts.getLength())
                .mapToObj(i -> texts.item(i).getTextContent())
                .toList();
    }
}
